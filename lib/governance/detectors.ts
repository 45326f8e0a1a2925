/**
 * Governance-attack detectors: pure functions over what readProposalForensics gathers from the
 * chain about one proposal. Each finding is an engine Alert, so the proposal page and the
 * overview's alerts show them alike.
 *
 *   power jump          a delegate's votes grew in the `windowBlocks` before the proposal's snapshot
 *                       with tokens acquired in that window, by ≥ 10 % of quorum (warning) or ≥
 *                       half of it (critical) — borrowed or bought power arriving just in time to
 *                       count; long-held tokens delegated late, or a delegate back at its usual
 *                       power, are noted (info), not alarmed about
 *   bought after        a vote counted with (almost) nothing although its voter holds power now:
 *                       tokens acquired after the snapshot (Beanstalk's flash loan, which a
 *                       snapshot-based governor counts as zero)
 *   unknown target      a target that is not a contract of the deployment file
 *   mutable target      a target whose code can change or run someone else's: SELFDESTRUCT,
 *                       DELEGATECALL/CALLCODE, an EIP-1967 implementation, an EIP-1167 clone
 *   code changed        a target's code (or its proxy implementation) differs from the
 *                       proposal's creation block — what was voted on is not what will run
 *   outside governable  an action the governance codec cannot read as a governable action
 *   late swing          votes in the last 10 % of the voting period that carry For over quorum
 *                       or turn the outcome
 *   description         an action the description does not mention (its market or asset, and a
 *                       word for what it does), or a market the description names but no
 *                       action touches
 */

import type { Alert } from "../../engine/index.ts";
import { decodeCall } from "../codec/governanceCodec.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { wordsOf } from "./actions/index.ts";
import type { CodeFeatures } from "./bytecode.ts";

export interface TargetForensics {
  address: `0x${string}`;
  /** Its name in the deployment file, if it is one of its contracts. */
  knownAs?: string;
  /** keccak256 of the runtime code at the proposal's creation block ("0x" hash = none) and now. */
  codeHashAtCreation: `0x${string}`;
  codeHashNow: `0x${string}`;
  features: CodeFeatures;
  implementationAtCreation?: `0x${string}`;
  implementationNow?: `0x${string}`;
  implementationCodeHashAtCreation?: `0x${string}`;
  implementationCodeHashNow?: `0x${string}`;
}

export interface PowerChange {
  delegate: `0x${string}`;
  /** Votes at the start of the window and at the snapshot. */
  before: bigint;
  atSnapshot: bigint;
  /**
   * Tokens that arrived in the window (transfers in, mints — bought or borrowed) at accounts
   * whose votes go to this delegate at the snapshot, net of tokens those accounts sent away.
   * The rest of a jump is tokens held since before the window, delegated late.
   */
  acquired: bigint;
  /** The delegate's highest votes at a few points before the window: its own usual power. */
  historyPeak: bigint;
}

export interface ProposalForensics {
  proposal: {
    id: bigint;
    proposer: `0x${string}`;
    targets: `0x${string}`[];
    values: bigint[];
    calldatas: `0x${string}`[];
    description: string;
    voteStart: bigint;
    voteEnd: bigint;
  };
  votes: { voter: `0x${string}`; support: "For" | "Against" | "Abstain"; weight: bigint; blockNumber: bigint }[];
  /** Quorum at the snapshot (or, before it, at the latest block). */
  quorum: bigint;
  windowBlocks: bigint;
  powerChanges: PowerChange[];
  /** Current voting power of each voter. */
  currentVotes: ReadonlyMap<`0x${string}`, bigint>;
  targets: TargetForensics[];
  /** Symbols for the description check. */
  names: { markets: readonly string[]; collaterals: readonly string[] };
}

const TOKEN = 10n ** 18n;
const tokens = (x: bigint) => `${(Number(x / 10n ** 14n) / 1e4).toLocaleString("en-US")} votes`;
const short = (a: string) => `${a.slice(0, 8)}…${a.slice(-4)}`;

export function detectGovernanceRisks(f: ProposalForensics, deployment: Pick<Deployment, "contracts">): Alert[] {
  const { proposal: p } = f;
  const id = (kind: string) => `gov-${p.id}-${kind}`;
  const flags: Alert[] = [];
  const name = `Proposal ${p.id.toString().slice(0, 8)}…`;

  // Voting power that jumped just before the snapshot. What matters is power that is new:
  // tokens acquired in the window (bought, borrowed, minted). Long-held tokens delegated late,
  // or a delegate back at the power it held before, are said (info), not alarmed about.
  for (const c of f.powerChanges) {
    const jump = c.atSnapshot - c.before;
    if (f.quorum === 0n || jump * 10n < f.quorum) continue;
    const fresh = c.acquired < jump ? c.acquired : jump;
    const usual = c.historyPeak >= c.atSnapshot;
    if (fresh * 10n < f.quorum || usual) {
      const why = usual ? `it held ${tokens(c.historyPeak)} before the window: back at its usual power` : `${tokens(jump - fresh)} of it from tokens held since before the window and delegated to it late; ${tokens(fresh)} newly acquired`;
      flags.push({ id: id(`power-jump-${c.delegate}`), severity: "info", accounts: [c.delegate], title: `${name}: ${short(c.delegate)} gained ${tokens(jump)} just before the snapshot, not new power`, detail: `${tokens(c.before)} → ${tokens(c.atSnapshot)} in the ${f.windowBlocks} blocks before block ${p.voteStart}; ${why}.` });
      continue;
    }
    const critical = fresh * 2n >= f.quorum;
    flags.push({ id: id(`power-jump-${c.delegate}`), severity: critical ? "critical" : "warning", accounts: [c.delegate], title: `${name}: ${short(c.delegate)} gained ${tokens(jump)} just before the snapshot`, detail: `${tokens(c.before)} → ${tokens(c.atSnapshot)} in the ${f.windowBlocks} blocks before block ${p.voteStart}, ${tokens(fresh)} of it tokens acquired in that window: ${critical ? "half a quorum or more" : "a tenth of quorum or more"} (${tokens(f.quorum)}). Borrowed or freshly bought power votes like any other.` });
  }

  // Votes cast with power acquired after the snapshot (counted as zero).
  for (const v of f.votes) {
    const now = f.currentVotes.get(v.voter) ?? 0n;
    if (now > TOKEN && v.weight * 100n < now && now * 10n >= f.quorum) {
      flags.push({ id: id(`bought-after-${v.voter}`), severity: "warning", accounts: [v.voter], title: `${name}: ${short(v.voter)} voted with power acquired after the snapshot`, detail: `It holds ${tokens(now)} now but the vote counted ${tokens(v.weight)}: tokens bought for the vote (a flash loan?) weigh nothing at a past snapshot — an attempt worth knowing about.` });
    }
  }

  // Targets.
  for (const t of f.targets) {
    if (!t.knownAs) {
      flags.push({ id: id(`unknown-target-${t.address}`), severity: "critical", title: `${name}: calls ${t.address}, not a contract of this deployment`, detail: t.features.size === 0 ? "There is no code at that address: anything can be deployed there before execution." : `Unverified code (${t.features.size} bytes) runs with the timelock's authority in the call.` });
    }
    const mutable = [
      t.features.selfdestruct && "SELFDESTRUCT (it can be destroyed and, with CREATE2, redeployed with other code)",
      t.features.delegatecall && !t.knownAs && "DELEGATECALL (it runs code from another address)",
      t.implementationNow && `an EIP-1967 proxy to ${t.implementationNow} (its admin can swap the code)`,
      t.features.minimalProxyTo && `an EIP-1167 clone of ${t.features.minimalProxyTo}`,
    ].filter((x): x is string => typeof x === "string");
    if (mutable.length) flags.push({ id: id(`mutable-target-${t.address}`), severity: t.knownAs ? "warning" : "critical", title: `${name}: the code behind ${t.knownAs ?? t.address} can change`, detail: `It contains ${mutable.join("; ")}.` });
    const implChanged = t.implementationAtCreation !== t.implementationNow || t.implementationCodeHashAtCreation !== t.implementationCodeHashNow;
    if (t.codeHashAtCreation !== t.codeHashNow || implChanged) {
      flags.push({ id: id(`code-changed-${t.address}`), severity: "critical", title: `${name}: the code at ${t.knownAs ?? t.address} changed since the proposal was made`, detail: t.codeHashAtCreation !== t.codeHashNow ? `Runtime code hash ${t.codeHashAtCreation.slice(0, 10)}… then, ${t.codeHashNow.slice(0, 10)}… now: what was voted on is not what will run.` : `Its proxy implementation was ${t.implementationAtCreation ?? "none"} then and is ${t.implementationNow ?? "none"} now: what was voted on is not what will run.` });
    }
  }

  // Actions outside the governable set, and the description check.
  const decoded = p.targets.map((target, i) => decodeCall({ target, value: p.values[i] ?? 0n, calldata: p.calldatas[i] ?? "0x" }, deployment));
  decoded.forEach((d, i) => {
    if (d.kind === "unknown") flags.push({ id: id(`outside-${i}`), severity: "critical", title: `${name}: action ${i + 1} is outside the governable functions`, detail: `${d.reason[0]!.toUpperCase()}${d.reason.slice(1)}. Backstop cannot say what it does or preview it.` });
  });
  const text = p.description.toLowerCase();
  const undescribed: { what: string; grave?: boolean }[] = [];
  const touched = new Set<string>();
  for (const d of decoded) {
    if (d.kind !== "change") continue;
    // Each action's words are its own (lib/governance/actions): what a description must say of it.
    const w = wordsOf(d.change, f.names);
    w.aliases.forEach((a) => touched.add(a));
    const subjectOk = w.aliases.length === 0 || w.aliases.some((a) => text.includes(a));
    if (!subjectOk || !w.does.test(text)) undescribed.push(w);
  }
  const claimed = f.names.markets.filter((m) => new RegExp(`\\b${m.replace(/-PERP$/, "").toLowerCase()}(-perp)?\\b`).test(text) && !touched.has(m.toLowerCase()));
  const onlyChangesTouched = decoded.some((d) => d.kind === "change" && "marketId" in d.change);
  if (undescribed.length || (claimed.length && onlyChangesTouched)) {
    const parts = [undescribed.length ? `the calldata does what the description does not say: ${undescribed.map((u) => u.what).join("; ")}` : "", claimed.length && onlyChangesTouched ? `the description names ${claimed.join(", ")}, which no action touches` : ""].filter(Boolean);
    flags.push({ id: id("description"), severity: undescribed.some((u) => u.grave) ? "critical" : "warning", title: `${name}: the description does not match the calldata`, detail: `${parts.join("; and ")}. Vote on the decoded actions, not the text.` });
  }

  // A late swing to quorum or to the other side.
  const period = p.voteEnd - p.voteStart;
  const lateFrom = p.voteEnd - (period / 10n > 0n ? period / 10n : 1n);
  const tally = (upTo: bigint) => f.votes.filter((v) => v.blockNumber <= upTo).reduce((t, v) => ({ ...t, [v.support]: t[v.support] + v.weight }), { For: 0n, Against: 0n, Abstain: 0n });
  const early = tally(lateFrom);
  const final = tally(p.voteEnd);
  const lateFor = final.For - early.For;
  const quorumSwing = early.For + early.Abstain < f.quorum && final.For + final.Abstain >= f.quorum && lateFor > 0n;
  const sideSwing = early.For <= early.Against !== final.For <= final.Against && final.For + final.Against > 0n;
  if (quorumSwing || sideSwing) {
    flags.push({ id: id("late-swing"), severity: "warning", title: `${name}: ${quorumSwing ? "reached quorum" : "changed sides"} in the last blocks of the vote`, detail: `After block ${lateFrom} (the last tenth of the period): For ${tokens(early.For)} → ${tokens(final.For)}, Against ${tokens(early.Against)} → ${tokens(final.Against)}, quorum ${tokens(f.quorum)}. Late votes leave others no time to react.` });
  }
  return flags.map((flag) => ({ ...flag, href: `/governance/${p.id}` }));
}
