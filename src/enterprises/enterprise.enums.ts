import { graphqlEnum } from '../common/enums';
import { SECTORS, Sector, SIZE_CLASSES, SizeClass } from './size-class';

export const SectorEnum = graphqlEnum<Sector>('Sector', SECTORS, 'Sector of the SME size standard (R2, 工信部联企业〔2011〕300号): it decides which thresholds apply.', {
  AGRICULTURE: '农、林、牧、渔业 — agriculture, forestry, animal husbandry, fishery',
  INDUSTRY: '工业 — mining, manufacturing, electricity, heat, gas and water',
  CONSTRUCTION: '建筑业 — construction',
  WHOLESALE: '批发业 — wholesale',
  RETAIL: '零售业 — retail',
  TRANSPORT: '交通运输业 — transport (not postal)',
  WAREHOUSING: '仓储业 — warehousing',
  POSTAL: '邮政业 — postal services',
  ACCOMMODATION: '住宿业 — accommodation',
  CATERING: '餐饮业 — catering',
  INFO_TRANSMISSION: '信息传输业 — telecommunications, broadcasting, satellite transmission',
  SOFTWARE_IT: '软件和信息技术服务业 — software and IT services',
  REAL_ESTATE_DEV: '房地产开发经营 — real-estate development',
  PROPERTY_MGMT: '物业管理 — property management',
  LEASING_BUSINESS_SERVICES: '租赁和商务服务业 — leasing and business services',
  OTHER: '其他未列明行业 — any other sector',
});

export const SizeClassEnum = graphqlEnum<SizeClass>('SizeClass', SIZE_CLASSES, 'Enterprise size class (企业划型, R2), computed from employees, revenue and total assets.', {
  LARGE: '大型企业 — large',
  MEDIUM: '中型企业 — medium',
  SMALL: '小型企业 — small',
  MICRO: '微型企业 — micro',
});
