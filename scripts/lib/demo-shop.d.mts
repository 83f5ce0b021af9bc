export const DEMO_SHOP_VERSION: string;
export const DEMO_SHOP_SIZES: { customers: number; products: number; orders: number };
export interface DemoShopSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  /** Empty when the admin URL has none (trust auth on loopback). */
  password: string;
}
export function ensureDemoShop(
  adminDatabaseUrl: string,
  name?: string,
  options?: { sizes?: Partial<{ customers: number; products: number; orders: number }>; log?: (line: string) => void },
): Promise<DemoShopSettings>;
