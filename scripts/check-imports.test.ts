import { describe, expect, it } from "vitest";
import { findViolations, repositorySources } from "./check-imports";

const file = (path: string, text: string) => ({ path, text });

describe("import layering", () => {
  it("refuses an upward import inside oms/, however deep the relative path", () => {
    const violations = findViolations([
      file("oms/store/intents-repo.ts", 'import type { EngineDeps } from "../engine/deps";'),
      file("oms/store/migrations/003-x.ts", 'import { sessionKeysMigration } from "../../keys/migration";'),
      file("oms/domain/record.ts", 'export { x } from "../api/ports";'),
    ]);
    expect(violations.map((v) => v.reason)).toEqual([
      "oms/store may not import oms/engine (upward)",
      "oms/store may not import oms/keys (upward)",
      "oms/domain may not import oms/api (upward)",
    ]);
  });

  it("refuses lib/ importing oms/, by relative path or the @/ alias", () => {
    const violations = findViolations([
      file("lib/auth/roles.ts", 'import { createChainRoleDirectory } from "@/oms/api/roles";'),
      file("lib/x.ts", 'import type { Db } from "../oms/store/db";'),
    ]);
    expect(violations).toHaveLength(2);
  });

  it("keeps the runner on the kernel and layers off the service roots", () => {
    const violations = findViolations([
      file("oms/runner/app.ts", 'import { createServiceApp } from "../kernel/service-app";'),
      file("oms/runner/routes.ts", 'import { requireVaultRole } from "../api/auth";'),
      file("oms/store/db.ts", 'import { migrations } from "../migrations";'),
    ]);
    expect(violations.map((v) => v.file)).toEqual(["oms/runner/routes.ts", "oms/store/db.ts"]);
  });

  it("allows downward and same-layer imports, packages, and the service roots", () => {
    expect(
      findViolations([
        file("oms/api/auth.ts", 'import { DomainError } from "../kernel/errors";\nimport { x } from "./limits";'),
        file("oms/engine/track.ts", 'import type { Tx } from "../store/intents-repo";\nimport { z } from "zod";'),
        file("oms/app.ts", 'import { buildApi } from "./api/build-api";'),
      ]),
    ).toEqual([]);
  });

  it("holds for the repository as it is", () => {
    expect(findViolations(repositorySources())).toEqual([]);
  });
});
