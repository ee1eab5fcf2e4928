import { callbackSignature, chatChange, openPayload, sealPayload, signedByWecom, xmlFields } from './wecom-callback';

// The sample of WeCom's callback documentation (加解密方案说明): its URL check, signed and encrypted by WeCom.
const SAMPLE = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
};
const ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const QUERY = { signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780' };

describe('WeCom callback cryptography', () => {
  it('verifies and decrypts the documented sample as WeCom sent it', () => {
    expect(callbackSignature(SAMPLE.token, QUERY.timestamp, QUERY.nonce, ECHOSTR)).toBe(QUERY.signature);
    expect(signedByWecom(SAMPLE, QUERY, ECHOSTR)).toBe(true);
    expect(openPayload(SAMPLE, ECHOSTR)).toBe('1616140317555161061');
  });

  it('refuses another signature, another token, a payload changed on the way, and a message for another corp', () => {
    expect(signedByWecom(SAMPLE, { ...QUERY, signature: QUERY.signature.replace('5', '6') }, ECHOSTR)).toBe(false);
    expect(signedByWecom({ ...SAMPLE, token: 'other' }, QUERY, ECHOSTR)).toBe(false);
    expect(signedByWecom(SAMPLE, { ...QUERY, signature: 'short' }, ECHOSTR)).toBe(false);
    const flipped = Buffer.from(ECHOSTR, 'base64');
    flipped[flipped.length - 1] ^= 1;
    expect(openPayload(SAMPLE, flipped.toString('base64'))).toBeUndefined();
    expect(openPayload({ ...SAMPLE, corpId: 'ww-other' }, ECHOSTR)).toBeUndefined();
    expect(openPayload(SAMPLE, 'not base64 at all!')).toBeUndefined();
  });

  it('seals a message WeCom-style that opens to the same text, Chinese and all, at any length', () => {
    for (const length of [0, 1, 11, 12, 43, 44, 500]) {
      const message = `<xml><Name><![CDATA[宝妈群${'好'.repeat(length)}]]></Name></xml>`;
      const sealed = sealPayload(SAMPLE, message);
      expect(Buffer.from(sealed, 'base64').length % 32).toBe(0);
      expect(openPayload(SAMPLE, sealed)).toBe(message);
    }
  });

  it('reads a customer-group change from the decrypted XML, and nothing from other events', () => {
    const fields = xmlFields(
      `<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>
       <Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA]]></ChatId>
       <ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>
       <JoinScene>1</JoinScene><MemChangeCnt>2</MemChangeCnt></xml>`,
    );
    expect(chatChange(fields!)).toEqual({
      chatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
      changeType: 'update',
      updateDetail: 'add_member',
      memberChange: 2,
      createTime: 1700000000,
    });
    expect(chatChange({ Event: 'change_external_contact', ChatId: 'x' })).toBeUndefined();
    expect(chatChange({ Event: 'change_external_chat', ChatId: 'x', ChangeType: 'explode' })).toBeUndefined();
    expect(xmlFields('not xml')).toBeUndefined();
    expect(xmlFields('<html><body/></html>')).toBeUndefined();
  });
});
