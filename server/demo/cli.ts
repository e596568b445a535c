// `npm run db:seed`: loads the demo fleet into the configured database (idempotent).
import { closeDb, getDb } from '../db';
import { wireProcess } from '../startup';
import { seedDemoData } from './seed';

wireProcess();
const loaded = await seedDemoData(await getDb());
console.log(loaded ? 'demo data loaded' : 'demo data already present; nothing changed');
await closeDb();
