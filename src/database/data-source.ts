import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { typeormOptions } from './typeorm-options';

/** Used by the TypeORM CLI (npm run migration:generate / migration:run). */
export default new DataSource(typeormOptions(loadConfig(process.env).databaseUrl));
