import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { invalidateAfterChange } from "./invalidate";

/** A query whose answers the test gives, one per fetch, in order. */
function scripted() {
  const answers: ((value: string) => void)[] = [];
  const queryFn = () => new Promise<string>((resolve) => answers.push(resolve));
  return { answers, queryFn };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("invalidateAfterChange", () => {
  it("a change announced while the query's first fetch is out is read by a fetch after it", async () => {
    const client = new QueryClient();
    const { answers, queryFn } = scripted();
    const observer = new QueryObserver(client, { queryKey: ["fills"], queryFn });
    const unsubscribe = observer.subscribe(() => undefined);
    await settle();
    expect(answers).toHaveLength(1);
    // The fill commits and its event arrives while the first read (from before it) is out.
    const invalidated = invalidateAfterChange(client, { queryKey: ["fills"] });
    await settle();
    answers[0]?.("none");
    await settle();
    expect(answers).toHaveLength(2);
    answers[1]?.("one fill");
    await invalidated;
    expect(observer.getCurrentResult().data).toBe("one fill");
    expect(observer.getCurrentResult().isError).toBe(false);
    unsubscribe();
  });

  it("refetches a query that holds data, once", async () => {
    const client = new QueryClient();
    const { answers, queryFn } = scripted();
    const observer = new QueryObserver(client, { queryKey: ["attempts"], queryFn });
    const unsubscribe = observer.subscribe(() => undefined);
    await settle();
    answers[0]?.("one attempt");
    await settle();
    const invalidated = invalidateAfterChange(client, { queryKey: ["attempts"] });
    await settle();
    expect(answers).toHaveLength(2);
    answers[1]?.("two attempts");
    await invalidated;
    expect(observer.getCurrentResult().data).toBe("two attempts");
    unsubscribe();
  });
});
