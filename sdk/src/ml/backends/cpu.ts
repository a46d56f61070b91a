/** The CPU backend with only the kernels the MLP runs (the forward pass in ../predict.ts and the probe). */
import '@tensorflow/tfjs-backend-cpu/dist/base';
import { addConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Add';
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/BatchMatMul';
import { reluConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Relu';
import { sigmoidConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Sigmoid';
import { softmaxConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Softmax';
import { registerKernel } from '@tensorflow/tfjs-core';

for (const kernel of [addConfig, batchMatMulConfig, reluConfig, sigmoidConfig, softmaxConfig]) registerKernel(kernel);
