// PostGraphile 5 as the reference server for bench/graphql_page.py.
// bench/graphql_page.py sets BENCH_PG_URL and BENCH_PORT; the defaults serve a manual run.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

const port = Number(process.env.BENCH_PORT ?? 5678);

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString:
        process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/yiwang_bench",
      schemas: ["public"],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: { host: "127.0.0.1", port, graphiql: false },
  grafast: { explain: false },
};

export default preset;
