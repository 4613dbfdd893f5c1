// The shape every benchmark returns, so `npm run bench` prints one table.
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  target?: string;
  ok?: boolean;
}

export type Bench = (opts: { quick: boolean }) => Promise<BenchResult[]>;
