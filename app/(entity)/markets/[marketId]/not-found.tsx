import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/ui/not-found-message";
import { requestedSegment } from "@/app/_lib/requested-segment";

export const metadata: Metadata = { title: "Market not found" };

/** 404 for /markets/[marketId]: no market with that id on the clearinghouse. */
export default async function MarketNotFound() {
  const raw = await requestedSegment();
  return (
    <NotFoundMessage title="No such market" back={{ href: "/markets", label: "All markets" }}>
      There is no market “{raw}” on the clearinghouse.
    </NotFoundMessage>
  );
}
