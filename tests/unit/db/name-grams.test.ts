// The name search's folding and grams: what a write indexes and what a search looks up must agree.
import { gramsOf, nameKey, searchGram } from '../../../src/db/name-grams';

describe('nameKey', () => {
  test.each([
    ['王小明', '王小明'],
    ['Wilhelmina Quorrington', 'wilhelmina quorrington'],
    // Full-width letters and digits, a ligature and a compatibility space fold to their plain forms.
    ['ＡＢＣ１', 'abc1'],
    ['ﬁona', 'fiona'],
    ['李\u3000Lei', '李 lei'],
    ['ÉMILE Zoë', 'émile zoë'],
    // Decomposed and composed accents are one key.
    ['Zoe\u0308', 'zoë'],
  ])('%j -> %j', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });
});

describe('gramsOf', () => {
  it('gives each character and each adjacent pair of a Chinese name', () => {
    expect(gramsOf('王小明').sort()).toEqual(['王', '小', '明', '王小', '小明'].sort());
  });

  it('keeps spaces and Latin letters as characters of their own, each gram once', () => {
    expect(gramsOf('li li').sort()).toEqual(['l', 'i', ' ', 'li', 'i ', ' l'].sort());
  });

  it('counts a character outside the BMP as one character', () => {
    expect(gramsOf('𠀀a').sort()).toEqual(['𠀀', 'a', '𠀀a'].sort());
  });

  it('gives nothing for an empty name', () => {
    expect(gramsOf('')).toEqual([]);
  });
});

describe('searchGram', () => {
  it('looks a one- or two-character search up as a gram, answered by the index alone', () => {
    expect(searchGram('王')).toEqual({ gram: '王', exact: true });
    expect(searchGram('小明')).toEqual({ gram: '小明', exact: true });
  });

  it('reads a longer search by a pair without a space, to be checked against the whole name', () => {
    expect(searchGram('王小明')).toEqual({ gram: '王小', exact: false });
    expect(searchGram('a bc')).toEqual({ gram: 'bc', exact: false });
    expect(searchGram('a b')).toEqual({ gram: 'a ', exact: false });
  });

  it('always picks a gram of every name that contains the search', () => {
    for (const q of ['王小明', 'orringt', 'a bc', 'x%y']) {
      const { gram } = searchGram(q);
      expect(gramsOf(`zz${q}zz`)).toContain(gram);
    }
  });
});
