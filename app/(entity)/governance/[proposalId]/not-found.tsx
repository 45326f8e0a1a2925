import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/ui/not-found-message";
import { requestedSegment } from "@/app/_lib/requested-segment";

export const metadata: Metadata = { title: "Proposal not found" };

/** 404 for /governance/[proposalId]: no proposal with that id on the governor. */
export default async function ProposalNotFound() {
  const raw = await requestedSegment();
  return (
    <NotFoundMessage title="No such proposal" back={{ href: "/governance", label: "All proposals" }}>
      There is no proposal {raw} on the governor{/^\d+$/.test(raw) ? "" : ": a proposal id is a whole number"}.
    </NotFoundMessage>
  );
}
