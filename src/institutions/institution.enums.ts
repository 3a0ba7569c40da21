import { graphqlEnum } from '../common/enums';
import { INSTITUTION_KINDS, InstitutionKind, PRODUCT_KINDS, ProductKind } from './institution.rules';

export const InstitutionKindEnum = graphqlEnum<InstitutionKind>('InstitutionKind', INSTITUTION_KINDS, 'What an institution is.', {
  BANK: '银行 — bank',
  GUARANTOR: '融资担保机构 — financing guarantor',
  RE_GUARANTOR: '再担保机构 — re-guarantor',
  INVESTOR: '投资机构 — equity investor',
  GOVERNMENT_FUND: '政府引导基金 / 政策性基金 — government fund',
  MICROLOAN: '小额贷款公司 — microloan company',
  LEASING: '融资租赁公司 — leasing company',
  INSURER: '保险机构 — insurer',
  AUTHORITY: '主管部门（经信局、金融局）— public authority',
});

export const ProductKindEnum = graphqlEnum<ProductKind>('ProductKind', PRODUCT_KINDS, 'Kind of financial product (R12).', {
  CREDIT_LOAN: '信用贷 — unsecured loan on the borrower\'s credit alone',
  FIRST_LOAN: '首贷 — loan for a firm that never had a bank loan',
  GUARANTEED_LOAN: '担保贷 — loan guaranteed by a guarantor',
  IP_PLEDGE_LOAN: '知识产权质押贷 — loan against intellectual property',
  RECEIVABLES_FINANCING: '应收账款融资 — receivables financing',
  SUPPLY_CHAIN: '供应链金融 — supply-chain finance',
  WAREHOUSE_RECEIPT: '仓单质押融资 — warehouse-receipt financing',
  MORTGAGE_LOAN: '抵押贷 — mortgage loan',
  TURNOVER_FUND: '转贷 / 应急周转资金 — loan turnover fund',
  LEASING: '融资租赁 — financial leasing',
  LISTING_LOAN: '上市贷 — loan for firms in the listing reserve',
  EQUITY_INVESTMENT: '股权投资 — equity investment',
  INVESTMENT_LOAN_LINKAGE: '投贷联动 — investment-loan linkage',
});
