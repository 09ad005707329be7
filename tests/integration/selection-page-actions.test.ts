// Pages say what is possible: a student sees Select and Drop only while their selection window is open,
// and a drop's confirmation mentions the waiting list only when someone is waiting (staff's too).
import { createSection, createTerm, createUser, insertEnrolment, createStudent } from '../helpers/factories';
import { signedInStudent } from '../helpers/selection';
import { signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const HOUR = 3_600_000;

describe('selection actions on the sections page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  /** The sections page (English) of a student placed as given in two sections of a current term. */
  async function pageFor(window: 'open' | 'closed') {
    const opens = new Date(Date.now() - (window === 'open' ? HOUR : 3 * HOUR));
    const closes = new Date(Date.now() + (window === 'open' ? HOUR : -HOUR));
    const { id: termId } = await createTerm(t.db, {
      current: true,
      selection_opens_at: opens,
      selection_closes_at: closes,
    });
    const crowded = await createSection(t.db, { termId, capacity: 1 });
    const quiet = await createSection(t.db, { termId, capacity: 5 });
    const free = await createSection(t.db, { termId, capacity: 5 });
    const s = await signedInStudent(t.app, t.db);
    await insertEnrolment(t.db, crowded.id, s.row.id, 'enrolled');
    await insertEnrolment(t.db, crowded.id, (await createStudent(t.db)).id, 'waitlisted');
    await insertEnrolment(t.db, quiet.id, s.row.id, 'enrolled');
    const html = (await s.agent.get(`/sections?term=&lang=en`).set('Accept', 'text/html')).text;
    return { html, s, crowded, quiet, free };
  }

  const rowOf = (html: string, sectionId: number) => {
    const start = html.indexOf(`/sections/${sectionId}/enrolments`);
    return start === -1 ? '' : html.slice(html.lastIndexOf('<tr', start), html.indexOf('</tr>', start));
  };

  it('offers Select and Drop while the window is open, the waiting list named only where someone waits', async () => {
    const { html, s, crowded, quiet, free } = await pageFor('open');
    expect(html).toContain(`action="/sections/${free.id}/enrolments"`);
    expect(rowOf(html, crowded.id)).toContain('Your seat goes to the first student on the waiting list.');
    const quietRow = rowOf(html, quiet.id);
    expect(quietRow).toContain(`/sections/${quiet.id}/enrolments/${s.row.id}/delete`);
    expect(quietRow).toMatch(/data-confirm="Drop [^"]*\?"/);
    expect(quietRow).not.toContain('waiting list');
  });

  it('shows places but no Select or Drop once the window has closed', async () => {
    const { html, crowded, free } = await pageFor('closed');
    expect(html).toContain('Course selection closed on');
    expect(html).not.toContain(`action="/sections/${free.id}/enrolments"`);
    expect(html).not.toContain('/delete"');
    expect(html).toContain('data-seats-left');
    expect(rowOf(html, crowded.id)).toBe('');
  });

  it('tells staff dropping a student about the waiting list only when there is one', async () => {
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const { crowded, quiet } = await pageFor('open');
    const crowdedPage = (await staff.get(`/sections/${crowded.id}?lang=en`).set('Accept', 'text/html')).text;
    expect(crowdedPage).toContain('The seat goes to the first student on the waiting list.');
    const quietPage = (await staff.get(`/sections/${quiet.id}?lang=en`).set('Accept', 'text/html')).text;
    expect(quietPage).toMatch(/data-confirm="Drop [^"]* from this section\?"/);
    expect(quietPage).not.toContain('The seat goes to the first student on the waiting list.');
  });

  it('names each term once in the term choices (its name, not its code beside it)', async () => {
    const staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const { code } = await createTerm(t.db, { academic_year: '2031-2032', semester: 2 });
    const html = (await staff.get('/sections?lang=en').set('Accept', 'text/html')).text;
    expect(html).toMatch(new RegExp(`<option value="${code}" >2031-2032 Semester 2</option>`));
    const form = (await staff.get('/sections/new?lang=en').set('Accept', 'text/html')).text;
    expect(form).toContain('>2031-2032 Semester 2</option>');
    expect(form).not.toContain(`${code} 2031-2032`);
  });
});
