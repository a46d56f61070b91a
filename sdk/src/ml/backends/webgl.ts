/** The WebGL backend, in a chunk of its own: fetched only when WebGL2 runs on a hardware renderer. */
import '@tensorflow/tfjs-backend-webgl/dist/base';
import { addConfig } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Add';
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-webgl/dist/kernels/BatchMatMul';
import { reluConfig } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Relu';
import { sigmoidConfig } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Sigmoid';
import { softmaxConfig } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Softmax';
import { registerKernel } from '@tensorflow/tfjs-core';

for (const kernel of [addConfig, batchMatMulConfig, reluConfig, sigmoidConfig, softmaxConfig]) registerKernel(kernel);
