"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

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

/**
 * The main navigation: a row of links on a wide screen; below 1024 px a Menu button that opens
 * them as a list under the header (Escape or choosing a page closes it).
 */
export function NavLinks() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  return (
    <nav aria-label="Main" className="order-last lg:order-none" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="main-menu"
        onClick={() => setOpen((o) => !o)}
        className="whitespace-nowrap rounded border border-neutral-700 px-2.5 py-1 text-xs text-neutral-200 hover:bg-neutral-800 lg:hidden"
      >
        <span aria-hidden>{open ? "✕" : "☰"}</span>
        <span className="sr-only sm:not-sr-only sm:ml-1">Menu</span>
      </button>
      <ul
        id="main-menu"
        className={`${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-30 flex-col gap-1 border-b border-neutral-800 bg-neutral-950 px-4 py-3 text-sm lg:static lg:flex lg:flex-row lg:items-center lg:gap-x-4 lg:border-0 lg:bg-transparent lg:p-0`}
      >
        {links.map((l) => {
          const active = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href);
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                onClick={() => setOpen(false)}
                aria-current={active ? "page" : undefined}
                className={`block rounded px-1 py-1.5 lg:py-0 ${active ? "text-neutral-50" : "text-neutral-300 hover:text-neutral-50"}`}
              >
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
