import type { Metadata } from "next";
import { isAddress } from "viem";
import { NotFoundMessage } from "@/components/ui/not-found-message";
import { requestedSegment } from "@/app/_lib/requested-segment";

export const metadata: Metadata = { title: "Account not found" };

/** 404 for /accounts/[address]: not an address, or an address the clearinghouse never saw. */
export default async function AccountNotFound() {
  const raw = await requestedSegment();
  const back = { href: "/accounts", label: "Back to accounts" };
  if (!isAddress(raw, { strict: false })) {
    return (
      <NotFoundMessage title="Not an address" back={back}>
        “{raw}” is not an address: an account is 0x followed by 40 hexadecimal characters.
      </NotFoundMessage>
    );
  }
  return (
    <NotFoundMessage title="No such account" back={back}>
      No account {raw.toLowerCase()} on the clearinghouse at the latest block: it has never deposited or traded.
    </NotFoundMessage>
  );
}
