// Pages name themselves with setTitle(); the layout shows that page's title and no other request's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { layout } from '../../../src/middleware/layout';
import { viewEngine } from '../../../src/lib/view-engine';

describe('layout titles', () => {
  let dir: string;
  let app: express.Express;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sis-layout-'));
    fs.writeFileSync(path.join(dir, 'layout.ejs'), '<title><%= title ? title + " · " : "" %>SIS</title><%- body %>');
    fs.writeFileSync(path.join(dir, 'named.ejs'), '<% setTitle(name) %><p>named</p>');
    fs.writeFileSync(path.join(dir, 'plain.ejs'), '<p>plain</p>');
    app = express();
    app.engine('ejs', viewEngine().render);
    app.set('view engine', 'ejs');
    app.set('views', dir);
    app.use(layout());
    app.get('/named/:name', (req, res) => res.render('named', { name: req.params.name }));
    app.get('/plain', (_req, res) => res.render('plain'));
    app.get('/given', (_req, res) => res.render('plain', { title: 'Given' }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('puts the title a page sets in the layout', async () => {
    const res = await request(app).get('/named/Roster');
    expect(res.text).toBe('<title>Roster · SIS</title><p>named</p>');
  });

  it('never carries one page title over to the next page', async () => {
    await request(app).get('/named/Secret');
    const res = await request(app).get('/plain');
    expect(res.text).toBe('<title>SIS</title><p>plain</p>');
    expect((globalThis as { title?: unknown }).title).toBeUndefined();
  });

  it('keeps a title passed in the render options (error pages)', async () => {
    const res = await request(app).get('/given');
    expect(res.text).toBe('<title>Given · SIS</title><p>plain</p>');
  });
});
