import { graphqlEnum } from '../common/enums';
import { Role, ROLES } from './roles';

export const RoleEnum = graphqlEnum<Role>('Role', ROLES, 'Who a token speaks for (claim `role`).', {
  ENTERPRISE: 'An SME (mini-program or web): acts for the enterprise its `sub` registered',
  BANK: 'A bank\'s staff (token carries `institutionId`)',
  GUARANTOR: 'A guarantor\'s staff (token carries `institutionId`)',
  INVESTOR: 'An investor\'s staff (token carries `institutionId`)',
  AUTHORITY: '经信局 / 金融局: publishes lists and rules, manages institutions and products',
  ANALYST: 'Reads aggregates and records, never contact details',
  ADMIN: 'Operates the platform',
});
