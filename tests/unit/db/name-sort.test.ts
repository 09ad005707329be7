// Names sort as people read them: pinyin for Chinese names (surname readings, tones as the tie-break),
// letters for the others, case-insensitive; the key is plain, comparable text of a bounded length.
import { NAME_SORT_LENGTH, nameSortKey } from '../../../src/db/name-sort';

describe('name sort keys', () => {
  it.each([
    ['王小明', 'wang2 xiao3 ming2'],
    ['汪洋', 'wang1 yang2'],
    ['单田芳', 'shan4 tian2 fang1'],
    ['曾国藩', 'zeng1 guo2 fan1'],
    ['吕布', 'lv3 bu4'],
    ['Smith John', 'smith john'],
    ['Ｌｉ Ｎａ', 'li na'],
  ])('%s -> %s', (name, key) => {
    expect(nameSortKey(name)).toBe(key);
  });

  it('orders names as a Chinese class list does', () => {
    const names = ['张三', '王五', '汪洋', '李四', '阿明', '卢六', '吕布', '林一'];
    const sorted = [...names].sort((a, b) => (nameSortKey(a) < nameSortKey(b) ? -1 : 1));
    expect(sorted).toEqual(['阿明', '李四', '林一', '卢六', '吕布', '汪洋', '王五', '张三']);
  });

  it('stays within the column', () => {
    expect(nameSortKey('王'.repeat(100)).length).toBeLessThanOrEqual(NAME_SORT_LENGTH);
  });
});
