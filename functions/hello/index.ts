/**
 * hello: greets the caller by name. `POST {"name": "Ada"}` → `200 {"message": "Hello Ada!"}`;
 * invalid input → `400 {"name": ["…"]}`.
 */
import { z } from 'zod';
import { handleCors } from '../_shared/cors.ts';
import { json, parseJsonBody } from '../_shared/errors.ts';

const HelloInput = z.object({
  name: z
    .string({ error: (issue) => (issue.input === undefined ? 'This field is required.' : 'Not a valid string.') })
    .trim()
    .min(1, 'This field may not be blank.')
    .max(100, 'Ensure this field has no more than 100 characters.'),
});

Deno.serve(async (req) => {
  const preflight = handleCors(req);
  if (preflight) return preflight;

  const { data, response } = await parseJsonBody(req, HelloInput);
  if (response) return response;
  return json({ message: `Hello ${data.name}!` });
});
