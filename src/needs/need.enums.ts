import { graphqlEnum } from '../common/enums';
import {
  COLLATERAL_TYPES, CollateralType, EQUITY_STAGES, EquityStage, LOAN_PURPOSES, LoanPurpose, NEED_KINDS, NEED_STATUSES, NeedKind, NeedStatus,
} from './need.rules';

export const NeedKindEnum = graphqlEnum<NeedKind>('NeedKind', NEED_KINDS, 'What an enterprise is looking for (R11).', {
  LOAN: '债权融资 — a loan',
  EQUITY: '股权融资 — an equity investment',
});

export const NeedStatusEnum = graphqlEnum<NeedStatus>('NeedStatus', NEED_STATUSES, 'Where a financing need stands (R11).', {
  OPEN: 'Posted and waiting for matches',
  MATCHED: 'At least one institution has been proposed',
  IN_PROGRESS: 'An institution is working on it (contacted, application under way)',
  FUNDED: 'Disbursements have reached the amount',
  WITHDRAWN: 'Withdrawn by the enterprise',
  CLOSED_UNFUNDED: 'Closed without funding',
  EXPIRED: 'Past its needed-by date without funding',
});

export const LoanPurposeEnum = graphqlEnum<LoanPurpose>('LoanPurpose', LOAN_PURPOSES, 'What a loan is for (R11).', {
  WORKING_CAPITAL: '流动资金 — working capital',
  EQUIPMENT: '设备购置 — equipment',
  R_AND_D: '研发投入 — research and development',
  EXPANSION: '扩大生产 — expansion',
  REFINANCING: '续贷 — refinancing a maturing loan',
  TRADE: '贸易融资 — trade finance',
  OTHER: '其他 — other',
});

export const CollateralTypeEnum = graphqlEnum<CollateralType>('CollateralType', COLLATERAL_TYPES, 'Security an enterprise offers or a product accepts (R11, R12).', {
  NONE: '无抵押 — none (credit only)',
  REAL_ESTATE: '不动产抵押 — real estate mortgage',
  EQUIPMENT: '设备抵押 — equipment',
  RECEIVABLES: '应收账款质押 — receivables',
  WAREHOUSE_RECEIPT: '仓单质押 — warehouse receipts',
  IP_PLEDGE: '知识产权质押 — intellectual property pledge',
  EQUITY_PLEDGE: '股权质押 — equity pledge',
});

export const EquityStageEnum = graphqlEnum<EquityStage>('EquityStage', EQUITY_STAGES, 'Funding round of an equity need (R11).', {
  SEED: '种子轮 — seed',
  ANGEL: '天使轮 — angel',
  SERIES_A: 'A 轮 — series A',
  SERIES_B: 'B 轮 — series B',
  SERIES_C_PLUS: 'C 轮及以后 — series C and later',
  PRE_IPO: 'Pre-IPO',
});
