import { staticFile } from '../../../../cli/ui/server/static-files';

describe('staticFile', () => {
  it("serves uPlot's browser build with its content type", async () => {
    const js = await staticFile('/vendor/uplot.js');
    expect(js?.type).toBe('text/javascript; charset=utf-8');
    expect(js?.body.toString('utf8')).toContain('uPlot');
    expect((await staticFile('/vendor/uplot.css'))?.type).toBe('text/css; charset=utf-8');
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/vendor/../package.json',
    '/.env',
    '/a/b.js',
    '/App.js',
    '/x.html',
  ])('serves nothing for %s', async (path) => {
    expect(await staticFile(path)).toBeUndefined();
  });
});
