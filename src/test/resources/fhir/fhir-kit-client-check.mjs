// Run by FhirKitClientIT: the npm fhir-kit-client (ES module only) against the broker's FHIR face.
// Environment: FHIR_BASE, TOKEN, SSIN_SYSTEM, PATIENT. Prints one JSON line with what it saw.
import { Client } from 'fhir-kit-client';

async function main() {
  const client = new Client({ baseUrl: process.env.FHIR_BASE });
  client.bearerToken = process.env.TOKEN;
  const out = {};
  const capability = await client.capabilityStatement();
  out.capability = { resourceType: capability.resourceType, instantiates: capability.instantiates,
    resources: capability.rest[0].resource.map(r => r.type) };
  let page = await client.search({ resourceType: 'DocumentReference',
    searchParams: { 'patient.identifier': process.env.SSIN_SYSTEM + '|' + process.env.PATIENT, _count: 2 } });
  out.total = page.total;
  out.ids = [];
  out.pages = 0;
  while (page) {
    out.pages++;
    for (const entry of page.entry || []) {
      if (entry.resource.resourceType === 'DocumentReference') {
        out.ids.push(entry.resource.identifier.find(i => i.system === 'urn:record-broker:document-id').value);
        out.url = out.url || entry.resource.content[0].attachment.url;
      }
    }
    page = await client.nextPage({ bundle: page });
  }
  const document = await fetch(out.url, { headers: { Authorization: 'Bearer ' + process.env.TOKEN } });
  out.document = { status: document.status, contentType: document.headers.get('content-type'),
    bytes: (await document.arrayBuffer()).byteLength };
  try {
    await client.search({ resourceType: 'DocumentReference', searchParams: { 'patient.identifier': 'x|1', foo: 'bar' } });
    out.refusal = 'none';
  } catch (e) {
    out.refusal = { status: e.response && e.response.status, body: e.response && e.response.data };
  }
  console.log(JSON.stringify(out));
}

main().catch(e => { console.error(e && e.stack || e); process.exit(1); });
