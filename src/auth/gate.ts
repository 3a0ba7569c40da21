/**
 * What every /graphql request passes before Apollo (issue 11 §1–2): its token is verified, its client
 * address, subject and institution are counted against the rate limits, and the institution a token
 * names must exist and be of a kind its role speaks for. A refused token counts against its address;
 * too many and the address is blocked. Over a limit the answer is HTTP 429 `RATE_LIMITED` with
 * `Retry-After`, decided before the token's validity is told, so a blocked address learns nothing.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { languageFrom } from '../common/messages';
import { sendErrors } from '../common/access-log';
import { answerOutage } from '../common/outage.plugin';
import { InstitutionEntity } from '../institutions/institution.entity';
import { roleSpeaksFor } from '../institutions/institution.rules';
import { addressKey } from './client-address';
import { rateLimitedBody } from './errors';
import { Authenticated, bearerToken, KeysUnavailable, TokenError, tokenVerifier, Viewer } from './jwt';
import { InstitutionCache, institutionCache } from './institution-cache';
import { createRateLimiters, Limited } from './rate-limits';

/** What the gate learnt about a request, for the GraphQL context. */
export interface Admission {
  viewer: Viewer | null;
  /** Why a presented token was refused (expired, bad signature…), for the UNAUTHENTICATED message. */
  tokenProblem: string | null;
  /** The viewer's institution, already loaded. */
  institution: InstitutionEntity | null;
  /** The database's now, read with the rate limits' count (null when it was not): the request's day (src/database/clock.ts `requestNow`). */
  databaseNow: Date | null;
}

export function requestGate(dataSource: DataSource, config: Config, log: Logger): RequestHandler {
  const verify = tokenVerifier({ secret: config.jwtSecret, production: config.production, auth: config.auth });
  const limiters = createRateLimiters(dataSource, config.rateLimits);
  const institutions = institutionCache(dataSource);

  const refuse = (req: Request, res: Response, limited: Limited) => {
    log.warn({ limit: limited.scope, address: req.ip, retryAfterSeconds: limited.retryAfterSeconds }, 'rate limited');
    sendErrors(res.set('Retry-After', String(limited.retryAfterSeconds)), 429,
      rateLimitedBody(languageFrom(req.headers['accept-language']), limited.retryAfterSeconds, limited.scope).errors);
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await admit(req, res, next);
    } catch (error) {
      // PostgreSQL down (the institution lookup): 503, retryable, as Apollo answers an outage.
      if (!answerOutage(error, req, res)) next(error);
    }
  };

  async function admit(req: Request, res: Response, next: NextFunction): Promise<void> {
    const address = addressKey(req.ip);
    const header = req.headers.authorization;
    const token = bearerToken(header);
    let authenticated: Authenticated | null = null;
    let tokenProblem: string | null = null;
    let blameless = false;
    if (token) {
      try {
        authenticated = await verify(token);
      } catch (error) {
        tokenProblem = error instanceof TokenError ? error.message : 'invalid token';
        blameless = error instanceof KeysUnavailable;
      }
    } else if (header) {
      tokenProblem = 'Authorization is not a Bearer token';
    }

    const { limited, databaseNow } = await limiters.consume({
      address,
      subject: authenticated ? `${authenticated.issuer ?? ''}\n${authenticated.viewer.sub}` : null,
      institutionId: authenticated?.viewer.institutionId ?? null,
    });
    if (limited) return refuse(req, res, limited);

    let institution: InstitutionEntity | null = null;
    if (authenticated) {
      const admitted = await institutionAdmission(institutions, authenticated.viewer);
      institution = admitted.institution;
      if (admitted.problem) {
        tokenProblem = admitted.problem;
        authenticated = null;
      }
    }

    if (tokenProblem && !blameless) {
      const blocked = await limiters.failedAuthentication(address);
      if (blocked) return refuse(req, res, blocked);
    }
    const admission: Admission = { viewer: authenticated?.viewer ?? null, tokenProblem, institution, databaseNow };
    res.locals.admission = admission;
    next();
  }
}

/**
 * A BANK, GUARANTOR or INVESTOR token speaks for an institution: one that does not exist, or is not of a
 * kind the role speaks for, makes it no credential at all — over HTTP (the gate) and for a subscription's
 * connection (events/ws.server.ts) alike. Returns the institution (null for a token that names none), or
 * why the token is refused.
 */
export async function institutionAdmission(institutions: InstitutionCache, viewer: Viewer): Promise<{ institution: InstitutionEntity | null; problem: string | null }> {
  if (!viewer.institutionId) return { institution: null, problem: null };
  const institution = await institutions.find(viewer.institutionId);
  if (!institution) return { institution: null, problem: 'the token names an institution that does not exist' };
  if (!roleSpeaksFor(viewer.role, institution.kind)) return { institution: null, problem: `${viewer.role} tokens may not speak for ${institution.kind} institutions` };
  return { institution, problem: null };
}

/** The gate's findings for this request (the GraphQL context reads them). */
export function admissionOf(res: Response): Admission {
  const admission = res.locals.admission as Admission | undefined;
  if (!admission) throw new Error('requestGate did not run before the GraphQL handler');
  return admission;
}
