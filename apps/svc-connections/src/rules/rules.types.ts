/** A column rule as stored in `table_rules.columns`. */
export interface TColumnRule {
  name: string;
  hidden: boolean;
  readOnly: boolean;
}
