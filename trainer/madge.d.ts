/** The part of madge's API (8.x, which ships no types) that imports.test.ts uses. */
declare module 'madge' {
  interface MadgeConfig {
    baseDir?: string;
    fileExtensions?: string[];
    excludeRegExp?: RegExp[];
  }
  interface MadgeResult {
    /** Each file (relative to baseDir) and the files it imports, type-only imports included. */
    obj(): Record<string, string[]>;
    /** Imports that resolved to no file. */
    warnings(): { skipped: string[] };
    /** Every import cycle, as the files along it. */
    circular(): string[][];
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
