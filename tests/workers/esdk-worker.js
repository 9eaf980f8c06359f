// A user's Cloudflare Worker that makes AWS Encryption SDK messages for a KMS key with the package's workerd entry
// and streams them out (esdk.test.mjs bundles it as wrangler does and runs it in workerd through Miniflare).
//   POST /message  { case, GetPublicKey }: the message of that case of esdk-fixtures.mjs (key.encryptMessage, or
//                  key.encryptMessageStream from a ReadableStream), as the response body, streamed as it is made
import { KmsPublicKey } from 'kms-offline';
import { makeMessage } from './esdk-fixtures.mjs';

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST' || pathname !== '/message') return new Response('POST /message', { status: 404 });
    const { case: c, GetPublicKey } = await request.json();
    try {
      return new Response(makeMessage(KmsPublicKey, GetPublicKey, c), { headers: { 'content-type': 'application/octet-stream' } });
    } catch (e) {
      return new Response(`${e?.name}: ${e?.message}`, { status: 500 });
    }
  },
};
