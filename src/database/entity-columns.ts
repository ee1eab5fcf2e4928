import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Statement, insertSql } from './mysql';

/**
 * An entity's columns for hand-written SQL: rows read made into the entity, and entities made into
 * an INSERT, with TypeORM's own conversions both ways (JSON, booleans, dates, transformers such as
 * sealed secrets). For hot paths where a query builder costs more than the statement, and for one
 * round trip that carries several statements. Columns TypeORM does not select by default are not
 * read here either.
 */
export class EntityColumns<T extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly columns: ColumnMetadata[];
  /** `alias`.`column` AS `alias.property`, for a SELECT list. */
  readonly select: string;

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<T>,
    private readonly alias: string,
  ) {
    this.metadata = dataSource.getMetadata(entity);
    this.columns = this.metadata.columns.filter((c) => c.isSelect);
    this.select = this.columns
      .map((c) => `${alias}.\`${c.databaseName}\` AS \`${alias}.${c.propertyName}\``)
      .join(', ');
  }

  /** The entity in a row read with `select`. */
  read(row: Record<string, unknown>): T {
    const entity = this.metadata.create() as T;
    const driver = this.dataSource.driver;
    for (const column of this.columns) {
      (entity as Record<string, unknown>)[column.propertyName] = driver.prepareHydratedValue(
        row[`${this.alias}.${column.propertyName}`],
        column,
      );
    }
    return entity;
  }

  /** An INSERT of these entities (the columns the first one gives), for `writeTogether` or `query`. */
  insert(entities: readonly Partial<T>[]): Statement {
    const given = this.metadata.columns.filter((c) => c.propertyName in entities[0]);
    const driver = this.dataSource.driver;
    return {
      sql: insertSql(
        this.metadata.tableName,
        given.map((c) => c.databaseName),
      ),
      params: [entities.map((entity) => given.map((c) => driver.preparePersistentValue(entity[c.propertyName], c)))],
    };
  }
}
