/**
 * Stage: segments. k-means in the segment space (features plus the log prior), k chosen by silhouette,
 * rule-based names, and names carried over from a previous model by Hungarian matching.
 */
export { type Segmentation, chooseK, kmeans, nearest, silhouette } from './kmeans.js';
export { K_RANGE, PRIOR_WEIGHT, segmentCustomers, segmentRow } from './space.js';
export { type NamedSegments, type Segmented, type StoredSegments, nameAndMatch } from './names.js';
export { type NamedSegment, type SegmentProfile, nameSegments, profileOf } from './naming.js';
export { hungarian, matchSegments } from './match.js';
