/** The WASM backend with only the kernels the MLP runs; its .wasm binaries are served beside the SDK. */
import '@tensorflow/tfjs-backend-wasm/dist/base';
import { addConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Add';
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/BatchMatMul';
import { reluConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Relu';
import { sigmoidConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Sigmoid';
import { softmaxConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Softmax';
import { registerKernel } from '@tensorflow/tfjs-core';

for (const kernel of [addConfig, batchMatMulConfig, reluConfig, sigmoidConfig, softmaxConfig]) registerKernel(kernel);

export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm/dist/base';
