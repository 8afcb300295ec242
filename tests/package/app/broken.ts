// The control for the strict type-check: an app that calls the SDK wrongly must not compile.
import { createMarquee } from '@marquee/sdk';

const marquee = createMarquee({ url: 'http://127.0.0.1:54321', key: 'anon' });
await marquee.posts.list({ page_size: 'ten' });
await marquee.profiles.get('jane');
