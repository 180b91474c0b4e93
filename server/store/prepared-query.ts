// A hot query built and compiled by Kysely once, then run with new parameters: building the query tree and
// compiling it to SQL cost more than running a prepared statement (a chat turn runs the same dozen queries).
// The query is built with a sentinel per argument; compiling tells at which parameters each one landed. A value
// the builder transforms (JSON, a date) would not land as itself: preparing then throws, so a query that
// cannot be prepared this way is noticed at once, never run with a stale value.
import type { CompiledQuery, Compilable, QueryResult } from 'kysely';

/** What runs a compiled query: a Kysely instance or a transaction of it. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

export function preparedQuery<Args extends unknown[], R>(arity: Args['length'], build: (...args: Args) => Compilable<R>): (runner: QueryRunner, ...args: Args) => Promise<QueryResult<R>> {
  let compiled: CompiledQuery<R> | undefined;
  let slots: number[] = [];
  const prepare = () => {
    const sentinels = Array.from({ length: arity }, (_, i) => `\u0000prepared-query-argument-${i}\u0000`);
    const query = build(...(sentinels as Args)).compile();
    slots = query.parameters.map((value) => sentinels.indexOf(value as string));
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`prepared query: argument ${i} must be used as given (${query.sql})`);
    }
    return query;
  };
  return async (runner, ...args) => {
    compiled ??= prepare();
    const template = compiled;
    const parameters = template.parameters.map((value, i) => (slots[i] >= 0 ? args[slots[i]] : value));
    return runner.executeQuery<R>({ ...template, parameters });
  };
}
