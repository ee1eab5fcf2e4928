import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayUnique, IsOptional, IsString, Length } from 'class-validator';

/** An optional list of up to 20 distinct tags of 1–64 characters. */
export const TagList = () =>
  applyDecorators(IsOptional(), ArrayMaxSize(20), ArrayUnique(), IsString({ each: true }), Length(1, 64, { each: true }));
