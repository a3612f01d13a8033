// The fast YAML scanner's way out: text outside its subset throws this signal, and the caller parses with `yaml`.

export const giveUpSignal = new Error('outside the fast YAML subset');

export function giveUp(): never {
  throw giveUpSignal;
}
