import { createHash } from 'node:crypto';
import { DATA_PACKAGE_VERSION, INCIDENT_TABLE_IDS, TABLE_IDS, dataPackage, incidentTableSchema, indicatorSchema, tableSchema } from '../../domain/release';
import { canonicalJson } from '../../db/chain';

/** The schema each published version stands for. Change a field and this fails until the version is raised. */
const SCHEMA_FINGERPRINTS: Record<string, string> = {
  '1.0.0': '57440910fe3a695b8c06984bf9af4727ee93463cdeb5bbe95618eaeb7a072391', // the claims tables and indicators
  '1.1.0': 'a762836d3737e361daba8c5372224b1393d949060c07c8623194fef3141c0a63', // and the accountability tables
  '1.2.0': '38d35ed75353fb8ea423b63d1aa5ea91e67ca205cd17d77cb9098bd1a0c9ad1b', // and the agencies' reminded and acknowledged columns
};

describe('the open data package', () => {
  it('when the schema is unchanged, then its fingerprint is the one recorded for the package version', () => {
    const fingerprint = createHash('sha256').update(canonicalJson([...TABLE_IDS.map((t) => tableSchema(t)), indicatorSchema(), ...INCIDENT_TABLE_IDS.map((t) => incidentTableSchema(t))])).digest('hex');
    expect({ version: DATA_PACKAGE_VERSION, fingerprint }).toEqual({ version: DATA_PACKAGE_VERSION, fingerprint: SCHEMA_FINGERPRINTS[DATA_PACKAGE_VERSION] });
  });

  it('when a release is described, then every resource is a tabular CSV whose schema names its markers as missing values, with money in KES cents', () => {
    const pkg = dataPackage({ number: 7, publishedAt: '2026-11-26T00:30:00.000Z', asOf: '2026-11-26' }) as { resources: { schema: { fields: { name: string; unit?: string }[]; missingValues: string[] } }[] };
    expect(pkg.resources).toHaveLength(TABLE_IDS.length + 1 + INCIDENT_TABLE_IDS.length);
    for (const r of [...pkg.resources.slice(0, TABLE_IDS.length), ...pkg.resources.slice(TABLE_IDS.length + 1)]) {
      expect(r.schema.missingValues).toEqual(['', '5 or fewer', 'hidden', 'withheld']);
      for (const f of r.schema.fields.filter((x) => x.name.endsWith('_cents'))) expect(f.unit).toBe('KES cents');
    }
  });
});
