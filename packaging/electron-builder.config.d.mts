export declare const NATIVE_SQLITE: string;
export declare const FUSES: Record<string, boolean>;
export declare function fuseWires(fuseV1Options: Record<string, number | string>): Record<number, boolean>;
export declare function packedBinary(context: {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName: string };
}): string;
declare const config: {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string; filter?: string[] }[];
  protocols: { name: string; schemes: string[] }[];
  linux: { target: string[]; category: string; icon: string; synopsis: string; mimeTypes: string[] };
  mac: { target: string[]; category: string; icon: string; hardenedRuntime: boolean };
  win: { target: string[]; icon: string };
  nsis: Record<string, boolean>;
  afterPack(context: unknown): Promise<void>;
};
export default config;
