import type { DeploymentConfig, DeploymentRecord } from '../../api/serving';
import type { DeploymentStore } from '../metadata-store';
import type { PgDb } from './pg-db';

type Row = {
  name: string;
  model_name: string;
  alias: string | null;
  follow: boolean;
  version: string;
  previous_version: string | null;
  canary_version: string | null;
  config: string;
  created: number;
  updated: number;
};

/** Serving deployments on PostgreSQL (the behaviour of store/sqljs/deployments.ts). */
export class PgDeployments implements DeploymentStore {
  constructor(private readonly db: PgDb) {}

  async putDeployment(rec: DeploymentRecord): Promise<void> {
    await this.db.write('deployment.put', rec.name, (tx) =>
      tx.query(
        `INSERT INTO deployments (name, model_name, alias, follow, version, previous_version, canary_version, config, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (name) DO UPDATE SET model_name = excluded.model_name, alias = excluded.alias, follow = excluded.follow, version = excluded.version,
           previous_version = excluded.previous_version, canary_version = excluded.canary_version, config = excluded.config, updated = excluded.updated`,
        [rec.name, rec.model_name, rec.alias ?? null, rec.follow, rec.version, rec.previous_version ?? null, rec.canary_version ?? null, JSON.stringify(rec.config), rec.created, rec.updated],
      ),
    );
  }

  async getDeployment(name: string): Promise<DeploymentRecord | undefined> {
    const row = await this.db.one<Row>('SELECT * FROM deployments WHERE name = $1', [name]);
    return row ? toRecord(row) : undefined;
  }

  async listDeployments(): Promise<DeploymentRecord[]> {
    return (await this.db.query<Row>('SELECT * FROM deployments ORDER BY name')).map(toRecord);
  }

  async deleteDeployment(name: string): Promise<boolean> {
    return this.db.write('deployment.delete', name, async (tx) => {
      await tx.query('DELETE FROM deployments WHERE name = $1', [name]);
      return tx.changes() > 0;
    });
  }
}

function toRecord(r: Row): DeploymentRecord {
  return {
    name: r.name,
    model_name: r.model_name,
    ...(r.alias === null ? {} : { alias: r.alias }),
    follow: r.follow,
    version: r.version,
    ...(r.previous_version === null ? {} : { previous_version: r.previous_version }),
    ...(r.canary_version === null ? {} : { canary_version: r.canary_version }),
    config: JSON.parse(r.config) as DeploymentConfig,
    created: Number(r.created),
    updated: Number(r.updated),
  };
}
