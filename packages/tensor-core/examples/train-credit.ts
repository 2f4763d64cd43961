// SPDX-License-Identifier: MIT
/**
 * Train a 30-10-2 tanh network on the shipped credit-card subsample with the pairwise sigmoid
 * AUC surrogate (β = 40) in TensorFlow.js, report test AUC, and save it for `lossscape hessian`.
 *
 *   node --conditions=@lossscape/source --import tsx packages/tensor-core/examples/train-credit.ts [outDir]
 *
 * (After `npm run setup` the built packages resolve without the --conditions flag.)
 */
// An example imports packages by name, as a user would, and uses the data package to load and
// split the CSV, which the library itself never does (tensor-core may not import
// @lossscape/data): hence the lint exception for this file.
/* eslint-disable @nx/enforce-module-boundaries */
import { loadDataset } from '@lossscape/data';
import { createRng } from '@lossscape/numeric';
import { auc, predictScores, randomWeights } from '@lossscape/tensor-core';
import { loadModelFile } from '@lossscape/tensor-core/io';
import { createPairCounter, evaluateBatched, fileSystemHandler, initTfBackend, stratifiedBatches, tf, tfLoss, toLayersModel } from '@lossscape/tensor-core/tf';

const outDir = process.argv[2] ?? 'runs/credit-tfjs';
const epochs = 40;
const batchSize = 256;
const lambda = 1e-5;

const data = loadDataset({ kind: 'credit' }); // exact duplicates dropped, 80/20 stratified, standardised on train
const { train, test } = data;
const backend = await initTfBackend();
console.log(`backend ${backend.backend}${backend.simd ? ' (SIMD)' : ''}; ${backend.attempts.filter((a) => !a.ok).map((a) => `${a.backend}: ${a.reason}`).join('; ')}`);
console.log(`train ${train.rows} rows, test ${test.rows} rows, ${train.featureCount} features`);

// A reproducible start: the project's seeded Glorot draw, copied into the tfjs layers.
const spec = { inputs: train.featureCount, hidden: 10, classes: 2 };
const rng = createRng(2024);
const l2 = () => tf.regularizers.l2({ l2: lambda }); // λ‖w‖² over every weight, biases included
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: spec.hidden, activation: 'tanh', inputShape: [spec.inputs], kernelRegularizer: l2(), biasRegularizer: l2() }),
    tf.layers.dense({ units: spec.classes, activation: 'softmax', kernelRegularizer: l2(), biasRegularizer: l2() }),
  ],
});
model.setWeights((await toLayersModel(spec, randomWeights(spec, rng))).getWeights());
const counter = createPairCounter();
model.compile({ optimizer: tf.train.adam(0.01), loss: tfLoss({ kind: 'sigmoid', beta: 40 }, { counter }) });

const x = tf.tensor2d(Float32Array.from(train.features), [train.rows, train.featureCount]);
const y = tf.oneHot(tf.tensor1d(train.labels, 'int32'), 2).toFloat(); // tfjs wants targets shaped like the softmax output
for (let epoch = 1; epoch <= epochs; epoch++) {
  let sum = 0;
  const batches = stratifiedBatches(train.labels, batchSize, rng); // every batch has positives and negatives
  for (const idx of batches) {
    const i = tf.tensor1d(idx, 'int32');
    const [xb, yb] = [tf.gather(x, i), tf.gather(y, i)];
    sum += (await model.trainOnBatch(xb, yb)) as number;
    tf.dispose([i, xb, yb]);
  }
  if (epoch % 10 === 0) console.log(`epoch ${epoch}: mean batch loss ${(sum / batches.length).toFixed(4)} (−appAUC + L2)`);
}
console.log(`pair batches ${counter.batches}, without pairs ${counter.emptyBatches}, pairs seen ${counter.pairs}`);

await model.save(fileSystemHandler(outDir));
const imported = await loadModelFile(outDir);
const testAuc = auc(predictScores(imported.model, imported.weights, test.features), test.labels);
const trainAuc = auc(predictScores(imported.model, imported.weights, train.features), train.labels);
const batched = await evaluateBatched({ model: imported.model, weights: [imported.weights], data: test, loss: { kind: 'sigmoid', beta: 40 }, l2: lambda });
console.log(`train AUC ${trainAuc.toFixed(4)}, test AUC ${testAuc.toFixed(4)} (tf batched: ${batched.auc[0].toFixed(4)}, test loss ${batched.energy[0].toFixed(4)})`);
console.log(`saved ${outDir}/model.json; its Hessian spectrum:`);
console.log(`  lossscape hessian --model ${outDir} --data datasets/creditcard_fraud10pct_4920.csv --split train --loss sigmoid --beta 40`);
