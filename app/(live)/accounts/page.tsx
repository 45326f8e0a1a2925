import type { Metadata } from "next";
import { AccountsTable } from "@/components/accounts/accounts-table";

export const metadata: Metadata = { title: "Accounts" };

export default function AccountsPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold text-neutral-50">Accounts</h1>
        <p className="text-sm text-neutral-400">
          Every account on the clearinghouse, nearest to liquidation first until you sort by another column. Health is equity over maintenance margin (<a className="underline" href="/glossary#health">definition</a>).
        </p>
      </div>
      <AccountsTable />
    </div>
  );
}
