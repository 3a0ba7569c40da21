import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

it('answers viewer for a valid token', async () => {
  const res = await app.gql('{ viewer { sub role } }', {}, { token: app.token({ sub: 'a1', role: 'ANALYST' }) });
  expect(res.errors).toBeUndefined();
  expect(res.data.viewer).toEqual({ sub: 'a1', role: 'ANALYST' });
});
