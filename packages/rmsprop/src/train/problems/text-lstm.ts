import { TextDataset, Vocabulary } from '../../data/index.js';
import { crossEntropy, reshape, type Tensor } from '../../tensor/index.js';
import { accuracy } from '../metric.js';
import { CharLSTM } from './modules.js';
import { limited, type Problem, type ProblemData } from './problem.js';
import { SONNETS } from './sonnets.js';

export interface TextLstmOptions {
  /** Any text; default five of Shakespeare's sonnets (about 3000 characters). */
  text?: string;
  /** Characters per example; default 50. */
  seqLength?: number;
  /** Share of the text, at its end, held out for testing; default 0.1. */
  testFraction?: number;
  /** Default 128. */
  hidden?: number;
  /** Default 2. */
  layers?: number;
}

/** Cross-entropy of next-character logits [N, T, V] against the next characters [N, T]. */
const nextCharLoss = (output: Tensor, y: Tensor): Tensor =>
  crossEntropy(reshape(output, [-1, output.shape.at(-1)!]), reshape(y, [-1]));

/**
 * `text_lstm`: character-level language modelling in the manner of DeepOBS's `tolstoi_char_rnn`: a
 * 2-layer LSTM of 128 units over one-hot characters, a dense layer to the vocabulary at every step,
 * cross-entropy of the next character; accuracy per character. The text is split into a training part
 * and a held-out end, both cut into non-overlapping sequences of 50. Batch 50, 200 epochs.
 */
export function textLstm(o: TextLstmOptions = {}): Problem {
  const { text = SONNETS, seqLength = 50, testFraction = 0.1, hidden = 128, layers = 2 } = o;
  if (!(testFraction > 0 && testFraction < 1))
    throw new RangeError(`text_lstm: testFraction must be in (0, 1), got ${testFraction}`);
  return {
    name: 'text_lstm',
    description: `character LSTM (${layers} × ${hidden}) on a text of ${[...text].length} characters`,
    batchSize: 50,
    epochs: 200,
    async data(d = {}): Promise<ProblemData> {
      const chars = [...text];
      const cut = Math.round(chars.length * (1 - testFraction));
      const vocabulary = Vocabulary.fromText(text);
      const split = (part: string[]) => new TextDataset(part.join(''), { seqLength, vocabulary });
      return {
        train: limited(split(chars.slice(0, cut)), d.limit, 'text_lstm'),
        test: limited(split(chars.slice(cut)), d.limit, 'text_lstm'),
      };
    },
    model: (data) => new CharLSTM(data.train.xShape.at(-1)!, hidden, layers),
    loss: nextCharLoss,
    metric: accuracy,
  };
}
