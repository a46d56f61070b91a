/** The WebGPU backend, in a chunk of its own: fetched only when the browser offers a GPU adapter. */
import '@tensorflow/tfjs-backend-webgpu/dist/base';
import { addConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Add';
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/BatchMatMul';
import { reluConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Relu';
import { sigmoidConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Sigmoid';
import { softmaxConfig } from '@tensorflow/tfjs-backend-webgpu/dist/kernels/Softmax';
import { registerKernel } from '@tensorflow/tfjs-core';

for (const kernel of [addConfig, batchMatMulConfig, reluConfig, sigmoidConfig, softmaxConfig]) registerKernel(kernel);
