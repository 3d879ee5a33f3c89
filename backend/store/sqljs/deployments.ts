import type { DeploymentConfig, DeploymentRecord } from '../../api/serving';
import type { DeploymentStore } from '../metadata-store';
import type { DurableDb } from './durable-db';
import { num, str } from './rows';

type Row = {
  name: string;
  model_name: string;
  alias: string | null;
  follow: number;
  version: string;
  previous_version: string | null;
  canary_version: string | null;
  config: string;
  created: number;
  updated: number;
};

export class SqlDeployments implements DeploymentStore {
  constructor(private readonly db: DurableDb) {}

  async putDeployment(rec: DeploymentRecord): Promise<void> {
    await this.db.write((tx) =>
      tx.run(
        `INSERT INTO deployments (name, model_name, alias, follow, version, previous_version, canary_version, config, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET model_name = excluded.model_name, alias = excluded.alias, follow = excluded.follow, version = excluded.version,
           previous_version = excluded.previous_version, canary_version = excluded.canary_version, config = excluded.config, updated = excluded.updated`,
        [rec.name, rec.model_name, rec.alias ?? null, rec.follow ? 1 : 0, rec.version, rec.previous_version ?? null, rec.canary_version ?? null, JSON.stringify(rec.config), rec.created, rec.updated],
      ),
    );
  }

  async getDeployment(name: string): Promise<DeploymentRecord | undefined> {
    const row = this.db.get<Row>('SELECT * FROM deployments WHERE name = ?', [name]);
    return row ? hydrate(row) : undefined;
  }

  async listDeployments(): Promise<DeploymentRecord[]> {
    return this.db.all<Row>('SELECT * FROM deployments ORDER BY name').map(hydrate);
  }

  async deleteDeployment(name: string): Promise<boolean> {
    return this.db.write((tx) => {
      tx.run('DELETE FROM deployments WHERE name = ?', [name]);
      return tx.changes() > 0;
    });
  }
}

function hydrate(r: Row): DeploymentRecord {
  return {
    name: str(r.name),
    model_name: str(r.model_name),
    ...(r.alias === null ? {} : { alias: str(r.alias) }),
    follow: num(r.follow) === 1,
    version: str(r.version),
    ...(r.previous_version === null ? {} : { previous_version: str(r.previous_version) }),
    ...(r.canary_version === null ? {} : { canary_version: str(r.canary_version) }),
    config: JSON.parse(str(r.config)) as DeploymentConfig,
    created: num(r.created),
    updated: num(r.updated),
  };
}
