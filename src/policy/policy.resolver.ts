import { Authorized, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE } from '../auth/auth-checker';
import { RequestContext } from '../auth/context';
import { Decimal } from '../common/decimal';
import { toGlobalId } from '../common/ids';
import { Node, showsAs } from '../common/node';
import { DecimalScalar } from '../common/scalars';
import { RiskCompensationPoolEntity } from './policy.entity';
import { poolAvailable } from './pool';

showsAs(RiskCompensationPoolEntity, 'RiskCompensationPool');

@ObjectType({ implements: Node, description: 'A risk-compensation pool (风险补偿资金池, R8): public money that compensates banks\' losses on eligible loans.' })
export class RiskCompensationPool {
  @Field({ description: 'Name.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Who funds it (e.g. 青岛市财政).' })
  funder: string | null;

  @Field(() => DecimalScalar, { description: 'Total money deposited, CNY.' })
  capacity: Decimal;

  @Field(() => DecimalScalar, { description: 'Reserved for live eligible loans, CNY.' })
  reserved: Decimal;

  @Field(() => DecimalScalar, { description: 'Paid out on claims, CNY.' })
  paid: Decimal;

  @Field(() => String, { nullable: true, description: 'Policy source, e.g. 青政发〔2012〕46号 (27).' })
  source: string | null;
}

@Resolver(() => RiskCompensationPool)
export class RiskCompensationPoolResolver {
  @Authorized(ANY_ROLE)
  @Query(() => [RiskCompensationPool], { description: 'Risk-compensation pools with their capacity, reserves, payouts and what is available (R8).' })
  riskCompensationPools(@Ctx() ctx: RequestContext) {
    return ctx.db.getRepository(RiskCompensationPoolEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() pool: RiskCompensationPoolEntity): string {
    return toGlobalId('RiskCompensationPool', pool.id);
  }

  @FieldResolver(() => DecimalScalar, { description: 'capacity − paid − reserved, never below zero, CNY.' })
  available(@Root() pool: RiskCompensationPoolEntity): Decimal {
    return poolAvailable(pool.capacity, pool.paid, pool.reserved);
  }
}
