"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/", label: "Overview" },
  { href: "/markets", label: "Markets" },
  { href: "/accounts", label: "Accounts" },
  { href: "/reserves", label: "Reserves" },
  { href: "/stress", label: "Stress" },
  { href: "/governance", label: "Governance" },
  { href: "/delegates", label: "Delegates" },
  { href: "/trade", label: "Trade" },
  { href: "/glossary", label: "Glossary" },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
      {links.map((l) => {
        const active = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href);
        return (
          <li key={l.href}>
            <Link href={l.href} aria-current={active ? "page" : undefined} className={active ? "text-neutral-50" : "text-neutral-400 hover:text-neutral-100"}>
              {l.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
