import { describe, expect, it } from "vitest";
import { completedEventsOfMetrics } from "./ponderMetrics.ts";

describe("completedEventsOfMetrics", () => {
  it("sums contract logs and block events apart, whatever the labels' order", () => {
    const metrics = [
      "# HELP ponder_indexing_completed_events Number of events that have been processed",
      "# TYPE ponder_indexing_completed_events gauge",
      'ponder_indexing_completed_events{event="Clearinghouse:Deposited",chain="backstop"} 120',
      'ponder_indexing_completed_events{chain="backstop",event="Clearinghouse:PositionUpdated"} 80',
      'ponder_indexing_completed_events{event="SystemHistory:block",chain="backstop"} 37',
      'ponder_indexing_completed_events{event="Governor:VoteCast",chain="backstop"} 0',
      'ponder_indexing_function_duration_count{event="Clearinghouse:Deposited"} 999',
    ].join("\n");
    expect(completedEventsOfMetrics(metrics)).toEqual({ logs: 200, blocks: 37 });
  });

  it("is zero before Ponder has counted anything", () => expect(completedEventsOfMetrics("# HELP ponder_sync_block x\n")).toEqual({ logs: 0, blocks: 0 }));

  it("does not mistake a label merely containing event= for the event", () => {
    expect(completedEventsOfMetrics('ponder_indexing_completed_events{subevent="X:block",event="A:B"} 5')).toEqual({ logs: 5, blocks: 0 });
  });
});
