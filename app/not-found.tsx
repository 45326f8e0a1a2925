import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/ui/not-found-message";

export const metadata: Metadata = { title: "Not found" };

/** Any URL no route answers: 404, in the app's own layout. */
export default function NotFound() {
  return (
    <NotFoundMessage title="No such page" back={{ href: "/", label: "Back to the overview" }}>
      Backstop has no page at this address. The navigation above lists every page.
    </NotFoundMessage>
  );
}
