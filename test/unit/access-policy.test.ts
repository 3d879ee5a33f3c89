import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requiredRole } from '../../backend/auth/access-policy';

describe('access policy: the least role each request needs', () => {
  it('lets readers read, search, pull data and call deployed models', () => {
    for (const [method, path] of [
      ['GET', '/api/2.0/mlflow/runs/get'],
      ['POST', '/api/2.0/mlflow/runs/search'],
      ['POST', '/ajax-api/2.0/mlflow/logged-models/search'],
      ['POST', '/api/cairn/v1/objects/missing'],
      ['POST', '/api/cairn/v1/objects/pack/get'],
      ['POST', '/api/cairn/v1/quality/reports'],
      ['POST', '/v2/models/weather/infer'],
      ['POST', '/v2/models/weather/versions/3/infer'],
      ['POST', '/invocations'],
      ['POST', '/deployments/weather/invocations'],
    ] as const) {
      assert.equal(requiredRole(method, path), 'reader', `${method} ${path}`);
    }
  });

  it('asks writers for every change, and admins for administration', () => {
    for (const [method, path] of [
      ['POST', '/api/2.0/mlflow/runs/create'],
      ['POST', '/api/cairn/v1/objects/pack'],
      ['PUT', '/api/cairn/v1/objects/' + 'a'.repeat(64)],
      ['POST', '/api/cairn/v1/datasets/versions'],
      ['POST', '/api/cairn/v1/deployments'],
      ['POST', '/api/cairn/v1/deployments/weather/feedback'],
      ['POST', '/api/cairn/v1/sync/logged-models/import'],
      ['POST', '/v2/models/weather/infer/extra'],
      ['DELETE', '/api/cairn/v1/deployments/weather'],
    ] as const) {
      assert.equal(requiredRole(method, path), 'writer', `${method} ${path}`);
    }
    assert.equal(requiredRole('GET', '/api/cairn/v1/admin/audit'), 'admin');
  });
});
