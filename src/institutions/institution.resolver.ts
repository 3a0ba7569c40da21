import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE, MANAGERS, MANAGERS_AND_INSTITUTIONS } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { Page } from '../common/connection';
import { toGlobalId } from '../common/ids';
import { anyViewer, registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PayloadMutation } from '../common/validation';
import { capacity } from '../policy/amplification';
import { InstitutionEntity } from './institution.entity';
import { CreateInstitutionInput, CreateProductInput, UpdateProductInput } from './institution.inputs';
import {
  createInstitution, createProduct, guarantorProfileByInstitutionId, institutionById, listInstitutions, listProducts, productById, productsByInstitution, updateProduct,
} from './institution.service';
import {
  Eligibility, EquityCriteria, FinancialProduct, FinancialProductConnection, GuaranteeCapacity, Institution, InstitutionConnection, InstitutionFilter, ProductFilter,
} from './institution.type';
import { ProductEntity } from './product.entity';

export const InstitutionPayload = payloadType('InstitutionPayload', 'institution', () => Institution, 'Result of creating an institution.');
export const ProductPayload = payloadType('ProductPayload', 'product', () => FinancialProduct, 'Result of creating or changing a product.');

registerNode<InstitutionEntity>({ typename: 'Institution', load: (ctx, id) => institutionById(ctx).load(id), visible: anyViewer });
registerNode<ProductEntity>({ typename: 'FinancialProduct', load: (ctx, id) => productById(ctx).load(id), visible: anyViewer });

@Resolver(() => Institution)
export class InstitutionResolver {
  @Authorized(ANY_ROLE)
  @Query(() => InstitutionConnection, { description: 'Institutions, newest first.' })
  institutions(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => InstitutionFilter, { nullable: true }) filter: InstitutionFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return listInstitutions(ctx, filter, { first, after });
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => InstitutionPayload, { description: 'Creates an institution; a guarantor or re-guarantor comes with its guarantee profile (R6).' })
  async createInstitution(@Ctx() ctx: AuthedContext, @Arg('input', () => CreateInstitutionInput) input: CreateInstitutionInput) {
    return toPayload(ctx, 'institution', await createInstitution(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() i: InstitutionEntity): string {
    return toGlobalId('Institution', i.id);
  }

  @FieldResolver(() => GuaranteeCapacity, { nullable: true, description: 'Capacity under the amplification cap, for guarantors and re-guarantors (R6).' })
  async guarantee(@Root() i: InstitutionEntity, @Ctx() ctx: RequestContext): Promise<GuaranteeCapacity | null> {
    const profile = await guarantorProfileByInstitutionId(ctx).load(i.id);
    if (!profile) return null;
    return { ...profile, ...capacity(profile) };
  }

  @FieldResolver(() => FinancialProductConnection, { description: 'Products it offers, newest first.' })
  products(
    @Root() i: InstitutionEntity,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ): Promise<Page<ProductEntity>> {
    return productsByInstitution(ctx).load({ parentId: i.id, first, after });
  }
}

@Resolver(() => FinancialProduct)
export class ProductResolver {
  @Authorized(ANY_ROLE)
  @Query(() => FinancialProductConnection, { description: 'Financial products, newest first.' })
  products(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter: ProductFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return listProducts(ctx, filter, { first, after });
  }

  @Authorized(MANAGERS_AND_INSTITUTIONS)
  @PayloadMutation(() => ProductPayload, { description: 'Creates a product. Authorities and admins for any institution; an institution token for its own.' })
  async createProduct(@Ctx() ctx: AuthedContext, @Arg('input', () => CreateProductInput) input: CreateProductInput) {
    return toPayload(ctx, 'product', await createProduct(ctx, input));
  }

  @Authorized(MANAGERS_AND_INSTITUTIONS)
  @PayloadMutation(() => ProductPayload, { description: 'Changes a product (or switches it off with enabled: false); bumps its version.' })
  async updateProduct(@Ctx() ctx: AuthedContext, @Arg('input', () => UpdateProductInput) input: UpdateProductInput) {
    return toPayload(ctx, 'product', await updateProduct(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() p: ProductEntity): string {
    return toGlobalId('FinancialProduct', p.id);
  }

  @FieldResolver(() => Institution, { description: 'The institution offering it.' })
  async institution(@Root() p: ProductEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(p.institutionId))!;
  }

  @FieldResolver(() => Eligibility, { description: 'Who it is for (R12).' })
  eligibility(@Root() p: ProductEntity): Eligibility {
    return p;
  }

  @FieldResolver(() => EquityCriteria, { nullable: true, description: 'What it invests in; null for debt products.' })
  equity(@Root() p: ProductEntity): EquityCriteria | null {
    if (p.needKind !== 'EQUITY') return null;
    return { stages: p.equityStages, minTicket: p.minTicket, maxTicket: p.maxTicket, maxPreMoneyValuation: p.maxPreMoneyValuation };
  }
}
