/**
 * The README's shell blocks run verbatim, in order, in a scratch copy of examples/ with `npx gigawatt`
 * pointing at the built CLI; and the tour's plan validates without errors or unused waivers.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, check, tempDir } from './helpers';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = (lang: string): string[] =>
  [...README.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => m[1]!);

/** Commands of the sh blocks, comments stripped (a comment starts at " # " or the line start). */
const commands = blocks('sh')
  .flatMap((b) => b.split('\n'))
  .map((l) => l.replace(/(^|\s+)#\s.*$/, '').trim())
  .filter(Boolean);

// Not run here: installing and the full suite (this is the suite), AWS (--live) and cdktf-cli.
const NOT_RUN = [/^npm ci/, / --live\b/, /npx cdktf /];

describe('README shell commands', () => {
  const run = commands.filter((c) => !NOT_RUN.some((re) => re.test(c)));
  test('the list is what the README shows', () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.filter((c) => NOT_RUN.some((re) => re.test(c)))).toEqual([
      'npm ci && npm start',
      'npm ci && npm test',
      'npx gigawatt validate plan.yaml --live',
      'GIGAWATT_PLAN=plan.yaml npx cdktf synth',
    ]);
  });

  test('every other command runs from a fresh directory: no usage error, no missing file', () => {
    const dir = tempDir();
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
    const bin = tempDir('gigawatt-npx-');
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = gigawatt ] && shift\nexec "${process.execPath}" "${CLI}" "$@"\n`,
    );
    chmodSync(join(bin, 'npx'), 0o755);
    const results = run.map((command) => {
      const r = spawnSync('bash', ['-c', command], {
        cwd: dir,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 120000,
      });
      // Exit 1 is a verdict (findings, or a diff that adds an error); 2 and above is a broken command.
      return { command, status: r.status, error: r.stderr.match(/^gigawatt: .*$/m)?.[0] };
    });
    expect(results.filter((r) => r.status === null || r.status > 1 || r.error)).toEqual([]);
    for (const f of ['plan.yaml', 'out.sarif', 'gigawatt.out', 'report/report.html', 'head.yaml'])
      expect(existsSync(join(dir, f))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')).version).toBe('2.1.0');
  });
});

describe("the tour's plan", () => {
  const tour = blocks('yaml').find((b) => b.includes('metadata: { name: frontier }'))!;
  test('validates with no errors and no unused or expired waiver', () => {
    const r = check(tour);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.diagnostics.map((d) => d.rule)).not.toContain('GW-WAIVER-UNUSED');
    expect(r.diagnostics.map((d) => d.rule)).not.toContain('GW-WAIVER-EXPIRED');
    expect(r.diagnostics.filter((d) => d.waiver).map((d) => d.rule)).toEqual(['GW-PWR-ESTIMATE']);
  });
});
