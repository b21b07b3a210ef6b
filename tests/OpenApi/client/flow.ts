// The README's walk-through as a client developer writes it against types generated from the live document:
// no `any`, no casts, no narrowing from `unknown`. The compiler (--strict) checks that the document types every
// body and every error; running it checks that the server answers as typed. Usage: node flow.js BASE_URL
import createClient from "openapi-fetch";
import type { paths } from "./api.js";

const client = createClient<paths>({ baseUrl: process.argv[2] });
const slug = `client-${Date.now().toString(36)}`;
const email = `editor@${slug}.example`;
const password = "correct horse battery staple";

function fail(step: string, detail: string): never {
  throw new Error(`${step}: ${detail}`);
}

const signUp = await client.POST("/api/tenants", { body: { name: "Client Test", slug, adminEmail: email, adminPassword: password } });
if (signUp.error) fail("sign-up", signUp.error.code);

const login = await client.POST("/api/auth/token", { body: { tenant: slug, email, password } });
if (login.error) fail("login", login.error.code);
const headers = { Authorization: `Bearer ${login.data.accessToken}` };

const created = await client.POST("/api/polls", {
  headers,
  body: { question: "Who won tonight's debate?", options: [{ text: "Candidate A" }, { text: "Candidate B" }], resultsVisibility: "always", duplicateCheck: "voter" },
});
if (created.error) fail("create", created.error.code);
const pollId = created.data.id;
const optionA = created.data.options[0]?.id ?? fail("create", "no options");

const opened = await client.POST("/api/polls/{pollId}/open", { headers, params: { path: { pollId } } });
if (opened.error) fail("open", opened.error.code);
if (opened.data.status !== "open") fail("open", opened.data.status);

const voted = await client.POST("/api/public/polls/{pollId}/votes", { params: { path: { pollId } }, body: { optionIds: [optionA], voterKey: "device-1" } });
if (voted.error) fail("vote", voted.error.code);

const again = await client.POST("/api/public/polls/{pollId}/votes", { params: { path: { pollId } }, body: { optionIds: [optionA], voterKey: "device-1" } });
if (again.error?.code !== "already_voted") fail("duplicate vote", again.error?.code ?? `status ${again.response.status}`);

// Results are counted a moment after the vote is acknowledged (the tally runs behind the outbox): ask again until then.
let totalVotes = 0;
for (const asked = Date.now(); totalVotes === 0 && Date.now() - asked < 10_000; await new Promise((resolve) => setTimeout(resolve, 100))) {
  const results = await client.GET("/api/public/polls/{pollId}/results", { params: { path: { pollId } } });
  if (results.error) fail("results", results.error.code);
  totalVotes = results.data.totalVotes;
}
if (totalVotes !== 1) fail("results", `${totalVotes} votes`);

const list = await client.GET("/api/polls", { headers, params: { query: { limit: 10 } } });
if (list.error) fail("list", list.error.code);
if (!list.data.items.some((poll) => poll.id === pollId)) fail("list", "the poll is not listed");

console.log(JSON.stringify({ pollId, totalVotes, duplicate: again.error.code, listed: list.data.items.length }));
