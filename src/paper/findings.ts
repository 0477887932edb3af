/**
 * What docs/results.md (scripts/table1-report.ts) prints around the verdicts: the evaluation
 * cadence the rows record, and the findings section — every verdict tallied and listed, nothing
 * written by hand. Pure.
 */
import type { Ablation } from './ablation.ts';
import type { Claim } from './verdicts.ts';
import type { PaperCell } from './table.ts';
import { PAPER_METHOD_LABELS, PAPER_TASKS } from './table1.ts';
import type { VerdictKind } from './verdicts.ts';

/** How often each arm was evaluated, as its rows record it: "every 10 steps; every 50 on poly5 (…)". */
export function cadenceText(cells: readonly PaperCell[]): string {
  const counts = new Map<number, PaperCell[]>();
  for (const c of cells) for (const e of c.evalEvery) counts.set(e, [...(counts.get(e) ?? []), c]);
  if (!counts.size) return 'evaluation cadence not recorded';
  const [main] = [...counts].sort((a, b) => b[1].length - a[1].length)[0]!;
  const others = [...counts].filter(([e]) => e !== main);
  const byTask = (cs: PaperCell[]) =>
    PAPER_TASKS.filter((t) => cs.some((c) => c.task === t))
      .map(
        (t) =>
          `${t} (${cs
            .filter((c) => c.task === t)
            .map((c) => PAPER_METHOD_LABELS[c.method])
            .join(', ')})`,
      )
      .join('; ');
  return `evaluation every ${main} steps${others.map(([e, cs]) => `; every ${e} on ${byTask(cs)}`).join('')}, as each row's config records`;
}

/** The findings section: every verdict above, tallied and listed, nothing written by hand. */
export function findingsMarkdown(cells: readonly PaperCell[], abl: Ablation, claims: readonly Claim[]): string[] {
  const withFigure = cells.filter((c) => c.paper);
  const kinds: [VerdictKind, string][] = [
    ['reproduced', 'reproduced'],
    ['close', 'within ±25 % on fewer than 3 seeds (preliminary)'],
    ['faster', 'faster than reported'],
    ['slower', 'slower than reported'],
    ['not-within', 'not within the budget'],
    ['fails-too', 'no 95 % within the budget, as the paper reports'],
    ['open', 'open (a censored seed leaves it undecided)'],
    ['not-run', 'not run or not finished'],
  ];
  const name = (c: PaperCell) => `${c.task} ${PAPER_METHOD_LABELS[c.method]}`;
  const tally = kinds
    .map(([k, label]) => ({ label, cs: withFigure.filter((c) => c.verdictKind === k) }))
    .filter((x) => x.cs.length)
    .map((x) => `   - ${x.label}: ${x.cs.length} (${x.cs.map(name).join(', ')})`);
  const refs = cells.filter((c) => c.reference);
  return [
    `1. **Table 1's ${withFigure.length} cells with a figure**, by the rule stated above the table:`,
    ...tally,
    ...refs.map(
      (c) =>
        `   - the reference code's own spread on ${name(c)}: ${c.reference!.seeds.join(', ')} (${c.reference!.source}) — ${c.reference!.verdict}.`,
    ),
    `2. **Does a learned amplifier help?** ${abl.verdict}`,
    "3. **The paper's claims:**",
    ...claims.map((c) => `   - ${c.claim} — **${c.status}**. ${c.verdict}`),
  ];
}
