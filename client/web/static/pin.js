// The staff PIN: kept only as a salted PBKDF2-SHA-256 hash (WebCrypto), never as digits.

const ITERATIONS = 150000;

export function isValidPin(pin) {
  return /^[0-9]{4,6}$/.test(pin);
}

function toBase64(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function derive(pin, salt, iterations) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false,
    ['deriveBits']);
  return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
}

// Returns {salt, hash, iterations} (base64) for storing.
export async function hashPin(pin) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(pin, salt, ITERATIONS);
  return { salt: toBase64(salt), hash: toBase64(hash), iterations: ITERATIONS };
}

// Whether `pin` is the one `stored` was made from.
export async function checkPin(pin, stored) {
  if (!stored || !isValidPin(pin)) return false;
  try {
    const hash = toBase64(await derive(pin, fromBase64(stored.salt), stored.iterations));
    let difference = hash.length ^ stored.hash.length;
    for (let i = 0; i < Math.min(hash.length, stored.hash.length); ++i) {
      difference |= hash.charCodeAt(i) ^ stored.hash.charCodeAt(i);
    }
    return difference === 0;
  } catch {
    return false;
  }
}
