/**
 * The page a browser gets at /graphql (issue 11 §2). It hands out no credential unless asked:
 * only with LANDING_PAGE_TOKEN=1, outside production, and while the server listens on a loopback address
 * does it fill in an ANALYST token, signed when the page is served, living the configured maximum
 * (12 h by default) and marked for development, so production refuses it even if the secret is reused.
 */
import type http from 'node:http';
import type { ApolloServerPlugin, GraphQLServerContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import type { Config } from '../config';
import { DEVELOPMENT_AUDIENCE, signToken } from './jwt';

const QUERY = `query Explore {
  viewer { role }
  institutions(first: 5) {
    totalCount
    edges { node { id kind name guarantee { amplificationMultiple status remainingCapacity } } }
  }
  financingNeeds(first: 5, filter: { status: [OPEN] }) {
    totalCount
    edges { node { kind amount termMonths channel enterprise { name sizeClass regionCode industryChains } } }
  }
}
`;

const WITH_TOKEN = `# finmatch: a development token for an ANALYST is in the Headers tab (LANDING_PAGE_TOKEN=1).
# Get others with: npm run token -- --role BANK --institution <id>
${QUERY}`;

const WITHOUT_TOKEN = `# finmatch: nothing is public. Add a header  Authorization: Bearer <token>
# with a token from: npm run token -- --role ANALYST   (or --role BANK --institution <id>)
${QUERY}`;

/** True when the server accepts connections from this machine only. */
export function listensOnLoopback(server: http.Server): boolean {
  const address = server.address();
  if (!address || typeof address === 'string') return false;
  return address.address === '::1' || address.address.startsWith('127.') || address.address === '::ffff:127.0.0.1';
}

export function landingPagePlugin(config: Config, httpServer: http.Server): ApolloServerPlugin {
  if (config.production) return ApolloServerPluginLandingPageProductionDefault({ footer: false });
  const page = (withToken: boolean) => {
    if (!withToken) return ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true, document: WITHOUT_TOKEN });
    const token = signToken({ sub: 'landing-page-analyst', role: 'ANALYST', aud: DEVELOPMENT_AUDIENCE }, config.jwtSecret, config.auth.maxTokenLifetimeSeconds);
    return ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true, document: WITH_TOKEN, headers: { Authorization: `Bearer ${token}` } });
  };
  if (!config.auth.landingPageToken) return page(false);
  // Apollo asks for the page's HTML on each visit: sign then, and only while listening on loopback.
  return {
    async serverWillStart(service: GraphQLServerContext) {
      return {
        async renderLandingPage() {
          return {
            html: async () => {
              const listener = await page(listensOnLoopback(httpServer)).serverWillStart!(service);
              const landing = await listener!.renderLandingPage!();
              return typeof landing.html === 'string' ? landing.html : landing.html();
            },
          };
        },
      };
    },
  };
}
